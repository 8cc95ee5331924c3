import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Settings } from '../../../shared/settings';
import en from './locales/en.json';
import fr from './locales/fr.json';

export const resources = { en: { translation: en }, fr: { translation: fr } } as const;

void i18n.use(initReactI18next).init({
  resources,
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function applyLanguage(language: Settings['language']): void {
  if (i18n.language !== language) void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

export default i18n;
