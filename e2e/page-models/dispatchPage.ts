// What the operator sees and does while dispatching: the alert queue, the
// merge question, the incident panel and the close dialog.
import { expect, type Locator, type Page } from '@playwright/test';
import { ConsolePage } from './consolePage';

export class DispatchPage extends ConsolePage {
  readonly queue: Locator;
  readonly mergeProposal: Locator;
  readonly incidentPanel: Locator;
  readonly rankedUnits: Locator;
  readonly assignments: Locator;
  readonly dispatchMessage: Locator;
  readonly closeDialog: Locator;
  readonly muteToggle: Locator;
  readonly coverage: Locator;

  constructor(page: Page) {
    super(page);
    this.queue = page.getByRole('listbox');
    this.mergeProposal = page.getByTestId('merge-proposal');
    this.incidentPanel = page.getByTestId('incident-panel');
    this.rankedUnits = page.getByTestId('ranked-units');
    this.assignments = page.getByTestId('assignments');
    this.dispatchMessage = page.getByTestId('dispatch-message');
    this.closeDialog = page.getByTestId('close-dialog');
    this.muteToggle = page.getByTestId('mute-toggle');
    this.coverage = page.getByTestId('coverage');
  }

  /** A queue row by its alert's kind and status (new / acknowledged). */
  alertRow(kind: string, status: 'new' | 'acknowledged'): Locator {
    return this.page.locator(`[role="option"][data-alert-kind="${kind}"][data-status="${status}"]`);
  }

  /** Moves the queue's selection to an alert with the keyboard (A, Home, then ↓ until it is selected). */
  async selectAlertByKeyboard(alertId: string): Promise<void> {
    await this.page.keyboard.press('a');
    await expect(this.alertRegion).toBeFocused();
    await this.page.keyboard.press('Home');
    for (let i = 0; i < 50; i++) {
      if ((await this.alertRegion.getAttribute('aria-activedescendant')) === `alert-option-${alertId}`) return;
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`alert ${alertId} could not be reached in the queue`);
  }
}
