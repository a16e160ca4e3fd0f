// What a person sees and does on the console's first screen.
import type { Locator, Page } from '@playwright/test';

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
  }

  async open(consoleUrl: string): Promise<void> {
    await this.page.goto(consoleUrl);
    await this.connection.getByText('Core connected').waitFor();
  }

  /** Land and sector outlines are SVG paths in Leaflet's overlay pane. */
  vectorPaths(): Locator {
    return this.page.locator('.leaflet-overlay-pane path');
  }
}
