// The Settings window's sandboxed preload (issue 15): exposes exactly four
// functions as `window.vigieSettings`. Only plain values cross (the settings
// object is copied by structured clone and checked again in main.ts); the raw
// ipcRenderer never does, and main.ts answers only the Settings window's main
// frame on vigie://settings.
import { contextBridge, ipcRenderer } from 'electron';
import {
  SETTINGS_FORGET_PIN_CHANNEL,
  SETTINGS_LOAD_CHANNEL,
  SETTINGS_RESTART_CHANNEL,
  SETTINGS_SAVE_CHANNEL,
  type PostPin,
  type SaveResult,
  type SettingsView,
  type VigieSettingsBridge,
} from '../../shared/desktopSettings';

const bridge: VigieSettingsBridge = {
  load: async () => (await ipcRenderer.invoke(SETTINGS_LOAD_CHANNEL)) as SettingsView,
  save: async (settings) => (await ipcRenderer.invoke(SETTINGS_SAVE_CHANNEL, JSON.parse(JSON.stringify(settings)))) as SaveResult,
  forgetPin: async (address) => (await ipcRenderer.invoke(SETTINGS_FORGET_PIN_CHANNEL, String(address))) as PostPin[],
  restart: async () => {
    await ipcRenderer.invoke(SETTINGS_RESTART_CHANNEL);
  },
};

contextBridge.exposeInMainWorld('vigieSettings', bridge);
