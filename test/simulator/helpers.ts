// Shared by the simulator tests: the shipped site and scenarios, and tiny
// wire parsers written independently of the simulator's encoders, so a test
// reads the bytes the way a receiver would.
import path from 'node:path';
import { readSite } from '../../electron/core/site/siteConfig';
import type { Site } from '../../shared/site';
import { assetsDir } from '../../electron/core/paths';
import type { Scenario } from '../../electron/simulator/scenario';
import { benchScenarioFile, defaultScenarioFile, readScenario } from '../../electron/simulator/scenario';
import type { SimMessage } from '../../electron/simulator/simulation';
import { Simulation } from '../../electron/simulator/simulation';

export const siteFile = path.join(assetsDir, 'sites', 'cote-opale.json');
export const site: Site = readSite(siteFile);
export const nightScenario: Scenario = readScenario(defaultScenarioFile);
export const benchScenario: Scenario = readScenario(benchScenarioFile);

/** A simulation of the shipped night, with the scenario adjusted by `tweak` (on a copy). */
export function simulation(seed: number, tweak?: (scenario: Scenario) => void, base: Scenario = nightScenario): Simulation {
  const scenario = structuredClone(base);
  tweak?.(scenario);
  return new Simulation({ site, scenario, seed });
}

/** Steps `seconds` of simulated time in `stepMs` steps, handing each step's messages to `each`. */
export function run(sim: Simulation, seconds: number, stepMs = 1000, each?: (messages: SimMessage[]) => void): SimMessage[] {
  const all: SimMessage[] = [];
  for (let t = 0; t < seconds * 1000; t += stepMs) {
    const messages = sim.step(stepMs);
    each?.(messages);
    all.push(...messages);
  }
  return all;
}

export interface NmeaSentence {
  raw: string;
  talker: string;
  type: string;
  fields: string[];
  checksumOk: boolean;
}

/** `$TTSSS,f1,f2,…*HH\r\n` → parts; checksum recomputed here. */
export function parseNmea(raw: string): NmeaSentence {
  const match = /^\$([A-Z]{2})([A-Z]{3}),(.*)\*([0-9A-F]{2})\r\n$/.exec(raw);
  if (!match) throw new Error(`not an NMEA sentence: ${JSON.stringify(raw)}`);
  const body = raw.slice(1, raw.indexOf('*'));
  let sum = 0;
  for (const c of body) sum ^= c.charCodeAt(0);
  return { raw, talker: match[1]!, type: match[2]!, fields: match[3]!.split(','), checksumOk: sum === parseInt(match[4]!, 16) };
}

/** ddmm.mmmm + hemisphere → signed degrees. */
export function nmeaDegrees(value: string, hemisphere: string, degreeDigits: number): number {
  const degrees = Number(value.slice(0, degreeDigits)) + Number(value.slice(degreeDigits)) / 60;
  return hemisphere === 'S' || hemisphere === 'W' ? -degrees : degrees;
}

/** Attributes of the first <tag …> of an XML string (test-side, regex-based). */
export function xmlAttrs(xml: string, tag: string): Record<string, string> | undefined {
  const match = new RegExp(`<${tag}\\s([^>]*?)/?>`).exec(xml);
  if (!match) return undefined;
  const out: Record<string, string> = {};
  for (const attr of match[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
    out[attr[1]!] = attr[2]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  }
  return out;
}

/** The JSON object of a JSON-lines message (one line, newline-terminated). */
export function jsonOf(message: SimMessage): Record<string, unknown> {
  if (!message.text.endsWith('\n') || message.text.indexOf('\n') !== message.text.length - 1) throw new Error(`not one line: ${JSON.stringify(message.text)}`);
  return JSON.parse(message.text) as Record<string, unknown>;
}
