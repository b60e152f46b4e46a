import { render } from 'preact';
import { App } from './app';
import { session } from './session';
import './styles.css';

session.takeTokenFromAddress();
const root = document.getElementById('root');
if (root) render(<App />, root);
