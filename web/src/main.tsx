import { render } from 'preact';
import { App, startEarlyRequests } from './components/App.js';

startEarlyRequests();
render(<App />, document.getElementById('app')!);
