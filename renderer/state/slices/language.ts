// The language of every word on screen (renderer/i18n); main.tsx applies it
// to <html lang> and saves it.
import type { StateCreator } from 'zustand';
import { initialLanguage, otherLanguage } from '../../i18n/language';
import type { ConsoleState, LanguageSlice } from '../shape';

export const createLanguageSlice: StateCreator<ConsoleState, [], [], LanguageSlice> = (set) => ({
  language: initialLanguage(),
  setLanguage: (language) => set({ language }),
  toggleLanguage: () => set((state) => ({ language: otherLanguage(state.language) })),
});
