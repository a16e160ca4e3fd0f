// Where the simulator finds the shipped data. Like the core (electron/core/paths.ts),
// it runs from source (tests, via tsx) and from the bundle dist/cli/vigie.cjs;
// both sit two folders below the project root.
import path from 'node:path';

export const assetsDir = path.join(path.resolve(__dirname, '..', '..'), 'assets');
export const sectorsFile = path.join(assetsDir, 'sectors.geojson');
export const landFile = path.join(assetsDir, 'basemap', 'land.geojson');
