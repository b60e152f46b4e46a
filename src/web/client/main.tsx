import { render } from 'preact';
import { App } from './app';
import { session } from './session';
import './styles.css';

session.takeTokenFromAddress();
// A sign-in link opened in a tab already on the page changes only the fragment.
addEventListener('hashchange', () => session.takeTokenFromAddress());
const root = document.getElementById('root');
if (root) render(<App />, root);
