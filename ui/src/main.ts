import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { mark } from './lib/marks';

mark('script');

const app = mount(App, { target: document.getElementById('app')! });

export default app;
