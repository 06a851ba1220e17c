import 'katex/dist/katex.min.css';
import './styles.css';

import { render } from 'preact';

import { App } from './app/App';
import { startRouter } from './app/router';
import { sessions } from './app/session';

startRouter();
void sessions.load();
render(<App />, document.getElementById('app')!);
