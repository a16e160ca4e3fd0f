// What a person sees and does on the console's first screen.
import type { Locator, Page } from '@playwright/test';
import { DUTY } from '../fixtures/coreServer';

export class ConsolePage {
  readonly map: Locator;
  readonly sectorLabels: Locator;
  readonly sectorButtons: Locator;
  readonly connection: Locator;
  readonly logStatus: Locator;
  readonly cursorReadout: Locator;
  readonly attribution: Locator;
  readonly scale: Locator;
  readonly layerControl: Locator;
  readonly topBar: Locator;
  readonly pictureCounts: Locator;
  readonly languageSwitch: Locator;
  readonly helpButton: Locator;
  readonly helpDialog: Locator;
  /** The sector list, whatever the language (its accessible name is translated). */
  readonly sectorList: Locator;
  readonly sectorListHeading: Locator;
  readonly riskBadges: Locator;
  /** The alert list's focusable, scrollable frame (A jumps here). */
  readonly alertRegion: Locator;
  readonly alerts: Locator;
  /** The layer control's entries (Leaflet labels with a checkbox or radio and the layer's name). */
  readonly layerEntries: Locator;
  readonly zoomInButton: Locator;

  constructor(readonly page: Page) {
    this.map = page.locator('.leaflet-container');
    this.sectorLabels = page.locator('.leaflet-tooltip [data-sector-id]');
    this.sectorButtons = page.getByRole('navigation', { name: 'Beach sectors' }).getByRole('button');
    this.connection = page.getByTestId('connection-status');
    this.logStatus = page.getByTestId('log-status');
    this.cursorReadout = page.getByTestId('cursor-readout');
    this.attribution = page.locator('.leaflet-control-attribution');
    this.scale = page.locator('.leaflet-control-scale-line');
    this.layerControl = page.locator('.leaflet-control-layers');
    this.topBar = page.locator('header.top-bar');
    this.pictureCounts = page.getByTestId('picture-counts');
    this.languageSwitch = page.getByTestId('language-switch');
    this.helpButton = page.getByTestId('help-button');
    this.helpDialog = page.getByRole('dialog');
    this.sectorList = page.getByTestId('sector-list');
    this.sectorListHeading = this.sectorList.getByRole('heading', { level: 2 });
    this.riskBadges = this.sectorList.locator('.risk');
    this.alertRegion = page.getByTestId('alert-region');
    this.alerts = page.getByTestId('alert-list').locator('li');
    this.layerEntries = this.layerControl.locator('.leaflet-control-layers-list label');
    this.zoomInButton = page.locator('.leaflet-control-zoom-in');
  }

  /** The EN or FR button of the top bar's language switch. */
  languageButton(language: 'en' | 'fr'): Locator {
    return this.languageSwitch.locator(`button[data-language="${language}"]`);
  }

  /** Waits for the link to the core, in whichever language the console speaks. */
  /** Connected and signed in: signs in (as DUTY) when the console asks, or resumes the window's session. */
  async waitUntilConnected(): Promise<void> {
    await this.page.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
    const form = this.page.getByTestId('sign-in-form');
    await form.or(this.page.getByTestId('session-status')).waitFor();
    if (await form.isVisible()) await this.signIn();
  }

  /** The layer control's names, in order (hovering it opens the list, as an operator would). */
  async layerNames(): Promise<string[]> {
    await this.layerControl.hover();
    await this.layerEntries.first().waitFor();
    return (await this.layerEntries.allTextContents()).map((name) => name.trim());
  }

  /** Describes the focused element: tag, test id or class, and whether a focus ring is drawn. */
  async focused(): Promise<{ tag: string; id: string; ring: boolean }> {
    return this.page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return { tag: 'body', id: '', ring: false };
      const style = getComputedStyle(element);
      return {
        tag: element.tagName.toLowerCase(),
        id:
          element.dataset.testid ??
          element.dataset.language ??
          ((typeof element.className === 'string' && element.className) || element.getAttribute('aria-label') || ''),
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1,
      };
    });
  }

  /** Opens the console and signs in (as the test core's DUTY account unless told otherwise). */
  async open(consoleUrl: string, account: { name: string; password: string } = DUTY): Promise<void> {
    await this.page.goto(consoleUrl);
    await this.signIn(account);
    await this.waitUntilConnected();
  }

  /** The sign-in form, in whatever language the console speaks (e2e/session.spec.ts checks its labels). */
  async signIn(account: { name: string; password: string } = DUTY): Promise<void> {
    const form = this.page.getByTestId('sign-in-form');
    await form.locator('input[name="username"]').fill(account.name);
    await form.locator('input[name="password"]').fill(account.password);
    await form.locator('button[type="submit"]').click();
    await this.page.getByTestId('session-status').waitFor();
  }

  /** Land and sector outlines are SVG paths in Leaflet's overlay pane. */
  vectorPaths(): Locator {
    return this.page.locator('.leaflet-overlay-pane path');
  }
}
