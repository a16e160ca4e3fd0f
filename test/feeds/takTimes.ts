// Real TAK captures are from 2020: tests send them as if made now.

/** Moves time and start to `now` and stale by the same amount, keeping the event's validity span; quotes as the device wrote them. */
export function refreshTimes(xml: string, now: number): string {
  const read = (name: string) => {
    const match = new RegExp(`\\s${name}=(['"])([^'"]+)\\1`).exec(xml);
    if (!match) throw new Error(`no ${name} in ${xml.slice(0, 80)}`);
    return Date.parse(match[2]!);
  };
  const shift = now - read('time');
  return xml.replace(/(\s(?:time|start|stale)=)(['"])([^'"]+)\2/g, (_all, head: string, quote: string, value: string) => {
    return `${head}${quote}${new Date(Date.parse(value) + shift).toISOString()}${quote}`;
  });
}
