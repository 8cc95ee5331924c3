import './jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './styles.css';
import { App } from './App';
import { preloadPages } from './routing/pages';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// After the first screen, not before it: the entry stays small, and every page is at hand offline.
window.addEventListener('load', () => setTimeout(preloadPages, 1000), { once: true });
