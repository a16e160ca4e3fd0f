// The site file: what a control-room post has — its sensors, its patrol
// units and the feed listeners. JSON, validated on load; a bad file stops
// start-up with a message naming the line (syntax) or the field (content).
// The schema is shared/site.ts; reading the file is the core's.
import fs from 'node:fs';
import { parseJsonFile } from '../../../shared/jsonFile';
import { Site } from '../../../shared/site';

export class SiteFileError extends Error {
  override name = 'SiteFileError';
}

export function parseSite(text: string, file: string): Site {
  return parseJsonFile(text, file, Site, (message) => new SiteFileError(message));
}

export function readSite(file: string): Site {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SiteFileError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseSite(text, file);
}
