// What the Chromium benchmarks share: Debian's Chromium launched as the build
// machines need it, the console's sign-in, and a frame counter.
import { chromium, type Browser, type Page } from '@playwright/test';

/** The password of the accounts the benchmarks create. */
export const BENCH_PASSWORD = 'bench password, long enough';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Fills the console's sign-in form as the benchmark account. */
export async function signIn(page: Page, name = 'bench'): Promise<void> {
  await page.locator('input[name="username"]').fill(name);
  await page.locator('input[name="password"]').fill(BENCH_PASSWORD);
  await page.locator('button[type="submit"]').click();
}

/**
 * requestAnimationFrame callbacks per second over `ms`. (A script as a
 * string: the TypeScript loader adds helpers to compiled functions that do
 * not exist in the page.)
 */
export async function framesPerSecond(page: Page, ms = 5000): Promise<number> {
  return (await page.evaluate(`new Promise((resolve) => {
    let frames = 0;
    const start = performance.now();
    const tick = () => {
      frames += 1;
      if (performance.now() - start < ${ms}) requestAnimationFrame(tick);
      else resolve((frames * 1000) / (performance.now() - start));
    };
    requestAnimationFrame(tick);
  })`)) as number;
}
