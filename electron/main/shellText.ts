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
  menuSettings: 'Settings…',
  settingsTitle: 'Vigie — settings',
  argumentsRefused: 'Vigie cannot start with these arguments.',
  settingsUnreadable: 'Vigie could not read its settings.',
  joinFailed: 'Vigie could not join the post.',
  openSettings: 'Open settings',
  postUnreachable: (address: string, reason: string) =>
    `The post at ${address} did not answer (${reason}). Check the address, and that the post runs with --room ${address}.`,
  pinsUnreadable: (reason: string) => `The pinned certificates could not be read: ${reason}`,
  firstConnection: (address: string) => `First connection to the post at ${address}.`,
  firstConnectionDetail: (fingerprint: string) =>
    `Its certificate's SHA-256 is\n${fingerprint}\n\nCompare it with the "Vigie room:" line the post printed, or ask its supervisor to read it. Trust it only if every byte is the same: Vigie then accepts this certificate only, for this post.`,
  trustAndConnect: 'Trust and connect',
  cancel: 'Cancel',
  certificateChanged: (address: string) => `The post at ${address} presents another certificate than the one pinned: refused.`,
  certificateChangedDetail: (pinned: string, presented: string, file: string) =>
    `Pinned:    ${pinned}\nPresented: ${presented}\n\nSomeone may be intercepting the connection: do not join. If the post's certificate was renewed on purpose (vigie serve --renew-certificate), compare the new fingerprint with the "Vigie room:" line the post prints, then forget the old pin in Settings (Forget), or remove this post's entry from ${file}.`,
  certificateUnexpected: (address: string) => `The post at ${address} does not present the certificate given with --fingerprint: refused.`,
  certificateUnexpectedDetail: (expected: string, presented: string) =>
    `Expected:  ${expected}\nPresented: ${presented}\n\nCompare the fingerprint with the "Vigie room:" line the post printed. Nothing was pinned.`,
  consoleLoadFailed: (address: string, reason: string) => `The post's console at ${address} could not be opened (${reason}).`,
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
  menuSettings: 'Paramètres…',
  settingsTitle: 'Vigie — paramètres',
  argumentsRefused: 'Vigie ne peut pas démarrer avec ces arguments.',
  settingsUnreadable: 'Vigie n’a pas pu lire ses paramètres.',
  joinFailed: 'Vigie n’a pas pu rejoindre le centre.',
  openSettings: 'Ouvrir les paramètres',
  postUnreachable: (address: string, reason: string) =>
    `Le centre ${address} n’a pas répondu (${reason}). Vérifiez l’adresse, et que le centre tourne avec --room ${address}.`,
  pinsUnreadable: (reason: string) => `Les certificats épinglés n’ont pas pu être lus\u00a0: ${reason}`,
  firstConnection: (address: string) => `Première connexion au centre ${address}.`,
  firstConnectionDetail: (fingerprint: string) =>
    `Le SHA-256 de son certificat est\n${fingerprint}\n\nComparez-le à la ligne «\u00a0Vigie room:\u00a0» affichée par le centre, ou demandez à son superviseur de la lire. Ne lui faites confiance que si chaque octet est identique\u00a0: Vigie n’acceptera alors que ce certificat, pour ce centre.`,
  trustAndConnect: 'Faire confiance et se connecter',
  cancel: 'Annuler',
  certificateChanged: (address: string) => `Le centre ${address} présente un autre certificat que celui épinglé\u00a0: refusé.`,
  certificateChangedDetail: (pinned: string, presented: string, file: string) =>
    `Épinglé\u00a0:  ${pinned}\nPrésenté\u00a0: ${presented}\n\nQuelqu’un intercepte peut-être la connexion\u00a0: ne rejoignez pas ce centre. Si le certificat du centre a été renouvelé volontairement (vigie serve --renew-certificate), comparez la nouvelle empreinte à la ligne «\u00a0Vigie room:\u00a0» affichée par le centre, puis oubliez l’ancienne dans les Paramètres (Oublier), ou retirez l’entrée de ce centre de ${file}.`,
  certificateUnexpected: (address: string) => `Le centre ${address} ne présente pas le certificat donné par --fingerprint\u00a0: refusé.`,
  certificateUnexpectedDetail: (expected: string, presented: string) =>
    `Attendu\u00a0:  ${expected}\nPrésenté\u00a0: ${presented}\n\nComparez l’empreinte à la ligne «\u00a0Vigie room:\u00a0» affichée par le centre. Rien n’a été épinglé.`,
  consoleLoadFailed: (address: string, reason: string) => `La console du centre ${address} n’a pas pu être ouverte (${reason}).`,
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
