// Where things live. The core runs from source (tests, via tsx) and from the
// bundle dist/cli/vigie.cjs; both sit two folders below the project root.
import os from 'node:os';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..');
export const assetsDir = path.join(projectRoot, 'assets');
export const rendererDir = path.join(projectRoot, 'dist', 'renderer');
export const sectorsFile = path.join(assetsDir, 'sectors.geojson');
export const landFile = path.join(assetsDir, 'basemap', 'land.geojson');
export const defaultSiteFile = path.join(assetsDir, 'sites', 'cote-opale.json');
export const scenariosDir = path.join(assetsDir, 'scenarios');

/** The per-user application data folder, the same one Electron's app.getPath('userData') gives. */
export function defaultDataDir(platform = process.platform, env = process.env, home = os.homedir()): string {
  switch (platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Vigie');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Vigie');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Vigie');
  }
}
