#!/usr/bin/env node
import '../dist/node-agent/main.js';
