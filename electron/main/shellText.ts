// The desktop shell's own words (its dialogs and menus), in English and
// French like the console. French must give every English entry with the
// same parameters (a missing or extra one does not compile). The language
// is the system's: the shell speaks before any console has chosen one. What
// the core itself reports when it fails to start (core-failed) is its own
// English sentence (a file path, a lock held by another process), shown as is.
// No electron import here, so the words are tested under plain Node.

const en = {
  coreStopped: 'The Vigie core stopped unexpectedly.',
  coreStoppedDetail: (code: number) => `Exit code ${code}. Everything it committed before stopping is kept in the log. Restart the core to continue, or quit.`,
  restartCore: 'Restart core',
  quit: 'Quit',
  restartFailed: 'Vigie could not restart its core.',
  startFailed: 'Vigie could not start its core.',
  launchFailed: 'Vigie could not start.',
  openFailed: 'Vigie could not open its console.',
  coreNotReady: (seconds: number) => `The core did not report ready within ${seconds} s.`,
  coreStartFailed: 'The core reported a start failure.',
  coreExitedEarly: (code: number) => `The core exited with code ${code} before it was ready.`,
  savePdfTitle: 'Save the report as PDF',
  menuFile: 'File',
  menuView: 'View',
  menuHelp: 'Help',
  about: 'About Vigie',
  aboutDetail: (electron: string, chromium: string, node: string) =>
    `Coastal dispatch console.\nElectron ${electron} · Chromium ${chromium} · Node ${node}\n\nThird-party licences: the console's About dialog (i), and THIRD_PARTY_NOTICES.txt in the app's resources folder.`,
};

export type ShellText = typeof en;

const fr: ShellText = {
  coreStopped: 'Le serveur de Vigie s’est arrêté de façon inattendue.',
  coreStoppedDetail: (code: number) =>
    `Code de sortie ${code}. Tout ce qu’il avait validé avant de s’arrêter est conservé dans le journal. Redémarrez le serveur pour continuer, ou quittez.`,
  restartCore: 'Redémarrer le serveur',
  quit: 'Quitter',
  restartFailed: 'Vigie n’a pas pu redémarrer son serveur.',
  startFailed: 'Vigie n’a pas pu démarrer son serveur.',
  launchFailed: 'Vigie n’a pas pu démarrer.',
  openFailed: 'Vigie n’a pas pu ouvrir sa console.',
  coreNotReady: (seconds: number) => `Le serveur ne s’est pas déclaré prêt en ${seconds} s.`,
  coreStartFailed: 'Le serveur a signalé un échec au démarrage.',
  coreExitedEarly: (code: number) => `Le serveur s’est arrêté (code ${code}) avant d’être prêt.`,
  savePdfTitle: 'Enregistrer le rapport en PDF',
  menuFile: 'Fichier',
  menuView: 'Affichage',
  menuHelp: 'Aide',
  about: 'À propos de Vigie',
  aboutDetail: (electron: string, chromium: string, node: string) =>
    `Console de dispatch côtière.\nElectron ${electron} · Chromium ${chromium} · Node ${node}\n\nLicences des logiciels tiers : la fenêtre « À propos » de la console (i), et THIRD_PARTY_NOTICES.txt dans le dossier resources de l'application.`,
};

/** The shell's words for the system's preferred languages (BCP 47, most preferred first): French if French comes before English, else English. */
export function shellTextFor(preferred: readonly string[]): ShellText {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split(/[-_]/)[0];
    if (language === 'fr') return fr;
    if (language === 'en') return en;
  }
  return en;
}
