import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionProvider } from './auth/SessionProvider';
import { applyDocumentLocale, I18nProvider, initialLocale } from './i18n/I18nProvider';
import './styles.css';
import './app.css';

const locale = initialLocale();
// Set dir/lang before the first paint so an Arabic user never sees the layout flip.
applyDocumentLocale(locale);

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <I18nProvider initial={locale}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
