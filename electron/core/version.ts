// The product version, from package.json (inlined by the bundler).
import packageJson from '../../package.json';

export const VIGIE_VERSION: string = packageJson.version;
