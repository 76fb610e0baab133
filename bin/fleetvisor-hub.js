#!/usr/bin/env node
import '../dist/hub/main.js';
