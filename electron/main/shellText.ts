// The desktop shell's own words (its dialogs and menus), in English and
// French like the console. French must give every English entry with the
// same parameters (a missing or extra one does not compile). The language
// is the system's: the shell speaks before any console has chosen one.
// No electron import here, so the words are tested under plain Node.

const en = {
  coreStopped: 'The Vigie core stopped unexpectedly.',
  coreStoppedDetail: (code: number) => `Exit code ${code}. Everything it committed before stopping is kept in the log. Restart the core to continue, or quit.`,
  restartCore: 'Restart core',
  quit: 'Quit',
  restartFailed: 'Vigie could not restart its core.',
  startFailed: 'Vigie could not start its core.',
  launchFailed: 'Vigie could not start.',
  savePdfTitle: 'Save the report as PDF',
  menuFile: 'File',
  menuView: 'View',
  menuHelp: 'Help',
  about: 'About Vigie',
  aboutDetail: (electron: string, chromium: string, node: string) => `Coastal dispatch console.\nElectron ${electron} · Chromium ${chromium} · Node ${node}`,
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
  savePdfTitle: 'Enregistrer le rapport en PDF',
  menuFile: 'Fichier',
  menuView: 'Affichage',
  menuHelp: 'Aide',
  about: 'À propos de Vigie',
  aboutDetail: (electron: string, chromium: string, node: string) => `Console de dispatch côtière.\nElectron ${electron} · Chromium ${chromium} · Node ${node}`,
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
