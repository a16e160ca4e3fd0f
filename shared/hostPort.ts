// HOST:PORT as the room's command lines write it (`vigie serve --room`, the
// desktop app's `--room` and `--join`, its settings): IPv6 in brackets,
// [::1]:8443. One parser, so a value the settings accept is one the core accepts.

export interface HostPort {
  /** Without brackets, as Node's net and tls take it. */
  host: string;
  port: number;
}

/** HOST:PORT with a port 1–65535, or null. */
export function parseHostPort(value: string): HostPort | null {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s/@#?]+)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: match[1] ?? match[2]!, port };
}

/** Back to HOST:PORT (brackets around an IPv6 host), as in a URL. */
export function formatHostPort({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
