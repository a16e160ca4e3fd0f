// A strict, small XML 1.0 parser for the subset Cursor-on-Target uses:
// elements, attributes, character data, CDATA, comments, processing
// instructions and the XML declaration. Hand-written because CoT needs
// little of XML and a lot of speed (≥ 10,000 events/s through the whole
// pipeline on one core) and because what it must refuse is easier to be
// sure of in 300 lines than in a general parser's options:
//
// - No DTD at all: a `<!DOCTYPE` (and so any `<!ENTITY`) is refused outright.
//   Only the five predefined entities and character references are known;
//   any other `&name;` is an error. Nothing is ever expanded or fetched, so
//   there is no entity-expansion ("billion laughs") or XXE surface.
// - Well-formedness is checked: one root element, matching end tags, quoted
//   and unique attributes, no `<` in attribute values, no `]]>` in text, legal
//   characters only, nothing but comments/PIs/whitespace outside the root.
// - Limits: nesting depth, element count, attributes per element.
// - Namespaces: names keep their prefix (`name`) and expose the part after
//   the colon (`local`); prefixes are not resolved against `xmlns`
//   declarations, so callers match elements by local name and `<cot:event
//   xmlns:cot="…">` reads like `<event>`.
//
// Input is a JS string; decode bytes as UTF-8 first (parseCotEvent does).

export interface XmlElement {
  /** The name as written, with its prefix if any (`cot:event`). */
  name: string;
  /** The name without a namespace prefix (`event`). */
  local: string;
  attributeNames: string[];
  attributeValues: string[];
  children: XmlElement[];
  /** Character data directly inside the element (CDATA included), entities decoded. */
  text: string;
}

export interface XmlLimits {
  maxDepth: number;
  maxElements: number;
  maxAttributes: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 32, maxElements: 4096, maxAttributes: 64 };

export class XmlError extends Error {
  override name = 'XmlError';
}

/** The value of the attribute written exactly `name`, if present. */
export function attribute(element: XmlElement, name: string): string | undefined {
  const names = element.attributeNames;
  for (let i = 0; i < names.length; i++) if (names[i] === name) return element.attributeValues[i];
  return undefined;
}

/** The first child element with this local name. */
export function child(element: XmlElement, local: string): XmlElement | undefined {
  const children = element.children;
  for (let i = 0; i < children.length; i++) if (children[i]!.local === local) return children[i];
  return undefined;
}

// Characters XML 1.0 forbids anywhere (C0 controls except tab, LF, CR; U+FFFE/U+FFFF; lone surrogates).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ILLEGAL_CHARACTER = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ACCEPTED_ENCODING = /^(?:utf-?8|us-ascii|ascii)$/i;

function isNameStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code === 0x3a || (code >= 0xc0 && code !== 0xd7 && code !== 0xf7);
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e || code === 0xb7;
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** The index just past the XML name starting at `pos` (== pos when there is none). */
function endOfName(s: string, pos: number): number {
  if (pos >= s.length || !isNameStart(s.charCodeAt(pos))) return pos;
  let i = pos + 1;
  while (i < s.length && isNameChar(s.charCodeAt(i))) i++;
  return i;
}

export function parseXml(source: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  return new Parser(source, limits).document();
}

class Parser {
  private pos = 0;
  private elements = 0;

  constructor(
    private readonly s: string,
    private readonly limits: XmlLimits,
  ) {}

  document(): XmlElement {
    const s = this.s;
    if (ILLEGAL_CHARACTER.test(s)) {
      const at = s.search(ILLEGAL_CHARACTER);
      this.pos = at;
      this.fail(`character U+${s.charCodeAt(at).toString(16).padStart(4, '0').toUpperCase()} is not allowed in XML`);
    }
    if (s.charCodeAt(0) === 0xfeff) this.pos = 1;
    let first = true;
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= s.length) this.fail('no root element');
      if (s.startsWith('<?', this.pos)) this.processingInstruction(first);
      else if (s.startsWith('<!--', this.pos)) this.comment();
      else if (s.startsWith('<!DOCTYPE', this.pos)) this.fail('DOCTYPE declarations are refused (no DTDs, no entity declarations)');
      else if (s.startsWith('<!', this.pos)) this.fail('markup declarations are refused');
      else if (s.charCodeAt(this.pos) === 0x3c) break;
      else this.fail('text before the root element');
      first = false;
    }
    const root = this.elementTree();
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= s.length) return root;
      if (s.startsWith('<?', this.pos)) this.processingInstruction(false);
      else if (s.startsWith('<!--', this.pos)) this.comment();
      else if (s.startsWith('<!DOCTYPE', this.pos)) this.fail('DOCTYPE declarations are refused (no DTDs, no entity declarations)');
      else this.fail('content after the root element');
    }
  }

  private fail(message: string): never {
    const before = this.s.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - before.lastIndexOf('\n');
    throw new XmlError(`${message} (line ${line}, column ${column})`);
  }

  private skipWhitespace(): void {
    const s = this.s;
    while (this.pos < s.length && isWhitespace(s.charCodeAt(this.pos))) this.pos++;
  }

  /** Reads a name at `pos`; returns it and moves past it. */
  private name(): string {
    const s = this.s;
    const start = this.pos;
    const end = endOfName(s, start);
    if (end === start) this.fail(start >= s.length ? 'unexpected end of document' : `expected a name, found ${JSON.stringify(s[start])}`);
    this.pos = end;
    return s.slice(start, end);
  }

  private processingInstruction(atStart: boolean): void {
    const s = this.s;
    const start = this.pos;
    this.pos += 2;
    const target = this.name();
    const end = s.indexOf('?>', this.pos);
    if (end === -1) this.fail('unclosed processing instruction');
    if (target.toLowerCase() === 'xml') {
      if (!atStart || target !== 'xml') {
        this.pos = start;
        this.fail('the XML declaration may only open the document');
      }
      const encoding = /\bencoding\s*=\s*["']([^"']*)["']/.exec(s.slice(this.pos, end));
      if (encoding && !ACCEPTED_ENCODING.test(encoding[1]!)) this.fail(`encoding "${encoding[1]}" is not supported (UTF-8 only)`);
    }
    this.pos = end + 2;
  }

  private comment(): void {
    const s = this.s;
    const end = s.indexOf('-->', this.pos + 4);
    if (end === -1) this.fail('unclosed comment');
    const doubleDash = s.indexOf('--', this.pos + 4);
    if (doubleDash < end) {
      this.pos = doubleDash;
      this.fail('"--" inside a comment');
    }
    this.pos = end + 3;
  }

  /** Parses the element at `pos` and everything inside it, without recursion. */
  private elementTree(): XmlElement {
    const s = this.s;
    const root = this.startTag();
    if (root === null) return this.lastEmpty!;
    const stack: XmlElement[] = [root];
    while (stack.length > 0) {
      const current = stack[stack.length - 1]!;
      const lt = s.indexOf('<', this.pos);
      if (lt === -1) {
        this.pos = s.length;
        this.fail(`<${current.name}> is not closed`);
      }
      if (lt > this.pos) current.text += this.characterData(this.pos, lt);
      this.pos = lt;
      const next = s.charCodeAt(lt + 1);
      if (next === 0x2f /* / */) {
        this.pos = lt + 2;
        const name = this.name();
        if (name !== current.name) {
          this.pos = lt;
          this.fail(`</${name}> closes <${current.name}>`);
        }
        this.skipWhitespace();
        if (s.charCodeAt(this.pos) !== 0x3e) this.fail(`expected > to end </${name}>`);
        this.pos++;
        stack.pop();
      } else if (next === 0x21 /* ! */) {
        if (s.startsWith('<!--', lt)) this.comment();
        else if (s.startsWith('<![CDATA[', lt)) {
          const end = s.indexOf(']]>', lt + 9);
          if (end === -1) this.fail('unclosed CDATA section');
          current.text += s.slice(lt + 9, end);
          this.pos = end + 3;
        } else if (s.startsWith('<!DOCTYPE', lt)) this.fail('DOCTYPE declarations are refused (no DTDs, no entity declarations)');
        else this.fail('markup declarations are refused');
      } else if (next === 0x3f /* ? */) {
        this.processingInstruction(false);
      } else {
        const element = this.startTag();
        const added = element ?? this.lastEmpty!;
        current.children.push(added);
        if (element !== null) {
          if (stack.length >= this.limits.maxDepth) this.fail(`elements nested deeper than ${this.limits.maxDepth}`);
          stack.push(element);
        }
      }
    }
    return root;
  }

  /** Set by startTag when the element was empty (`<x/>`). */
  private lastEmpty: XmlElement | undefined;

  /** Parses a start tag at `pos` (a '<'); returns the element when it is open, null when it was `<x/>` (then in lastEmpty). */
  private startTag(): XmlElement | null {
    const s = this.s;
    const length = s.length;
    if (++this.elements > this.limits.maxElements) this.fail(`more than ${this.limits.maxElements} elements`);
    this.pos++;
    const name = this.name();
    const element: XmlElement = { name, local: this.localName(name), attributeNames: [], attributeValues: [], children: [], text: '' };
    const names = element.attributeNames;
    let pos = this.pos;
    for (;;) {
      const before = pos;
      while (pos < length && isWhitespace(s.charCodeAt(pos))) pos++;
      const code = s.charCodeAt(pos);
      if (code === 0x3e /* > */) {
        this.pos = pos + 1;
        return element;
      }
      this.pos = pos;
      if (code === 0x2f /* / */) {
        if (s.charCodeAt(pos + 1) !== 0x3e) this.fail(`expected /> in <${name}>`);
        this.pos = pos + 2;
        this.lastEmpty = element;
        return null;
      }
      if (pos >= length) this.fail(`<${name}> is not closed`);
      if (pos === before) this.fail(`expected whitespace before an attribute in <${name}>`);
      const nameEnd = endOfName(s, pos);
      if (nameEnd === pos) this.fail(`expected an attribute name in <${name}>, found ${JSON.stringify(s[pos])}`);
      const attributeName = s.slice(pos, nameEnd);
      if (attributeName.includes(':')) this.localName(attributeName);
      pos = nameEnd;
      while (pos < length && isWhitespace(s.charCodeAt(pos))) pos++;
      if (s.charCodeAt(pos) !== 0x3d /* = */) {
        this.pos = pos;
        this.fail(`attribute ${attributeName} in <${name}> has no value`);
      }
      pos++;
      while (pos < length && isWhitespace(s.charCodeAt(pos))) pos++;
      const quote = s.charCodeAt(pos);
      if (quote !== 0x22 && quote !== 0x27) {
        this.pos = pos;
        this.fail(`attribute ${attributeName} in <${name}> is not quoted`);
      }
      // One pass over the value: find its end, refuse '<', note entities and whitespace to normalise.
      const valueStart = pos + 1;
      let end = valueStart;
      let hasEntity = false;
      let hasBreak = false;
      for (; end < length; end++) {
        const c = s.charCodeAt(end);
        if (c === quote) break;
        if (c === 0x3c) {
          this.pos = end;
          this.fail(`"<" in the value of ${attributeName} (write &lt;)`);
        }
        if (c === 0x26) hasEntity = true;
        else if (c < 0x20) hasBreak = true;
      }
      if (end >= length) this.fail(`attribute ${attributeName} in <${name}> is not closed`);
      let value = s.slice(valueStart, end);
      if (hasEntity) value = this.decode(value, valueStart);
      if (hasBreak) value = value.replace(/[\t\n\r]/g, ' ');
      for (let i = 0; i < names.length; i++) if (names[i] === attributeName) this.fail(`attribute ${attributeName} repeated in <${name}>`);
      if (names.length >= this.limits.maxAttributes) this.fail(`more than ${this.limits.maxAttributes} attributes in <${name}>`);
      names.push(attributeName);
      element.attributeValues.push(value);
      pos = end + 1;
    }
  }

  /** The part of a qualified name after its prefix; `a:b:c`, `:a` and `a:` are refused. */
  private localName(name: string): string {
    const colon = name.indexOf(':');
    if (colon === -1) return name;
    if (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) !== -1) this.fail(`"${name}" is not a valid qualified name`);
    return name.slice(colon + 1);
  }

  private characterData(start: number, end: number): string {
    const text = this.s.slice(start, end);
    if (text.includes(']]>')) {
      this.pos = start + text.indexOf(']]>');
      this.fail('"]]>" in character data');
    }
    return text.includes('&') ? this.decode(text, start) : text;
  }

  /** Replaces the five predefined entities and character references; anything else is an error. */
  private decode(text: string, offset: number): string {
    let out = '';
    let from = 0;
    for (;;) {
      const amp = text.indexOf('&', from);
      if (amp === -1) return out + text.slice(from);
      out += text.slice(from, amp);
      const semi = text.indexOf(';', amp + 1);
      this.pos = offset + amp;
      if (semi === -1 || semi - amp > 10) this.fail('"&" that starts no entity (write &amp;)');
      const entity = text.slice(amp + 1, semi);
      switch (entity) {
        case 'lt':
          out += '<';
          break;
        case 'gt':
          out += '>';
          break;
        case 'amp':
          out += '&';
          break;
        case 'quot':
          out += '"';
          break;
        case 'apos':
          out += "'";
          break;
        default: {
          const match = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(entity);
          if (!match) this.fail(`undeclared entity &${entity}; (only &lt; &gt; &amp; &quot; &apos; and character references are accepted)`);
          const code = match[1] !== undefined ? parseInt(match[1], 16) : Number(match[2]);
          if (!isXmlChar(code)) this.fail(`character reference &${entity}; is not an XML character`);
          out += String.fromCodePoint(code);
        }
      }
      from = semi + 1;
    }
  }
}

// Characters XML 1.0 cannot carry at all; they are replaced, not escaped.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SPECIAL = /[&<>"'\t\n\r]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/**
 * Escapes text for XML content and attribute values alike: the five special
 * characters, and tab/LF/CR as character references so they survive
 * attribute-value normalisation. Characters XML cannot carry become U+FFFD.
 */
export function xmlEscape(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(SPECIAL, (c) => ESCAPES[c]!);
}

/** Writes an element back as XML (attributes double-quoted, text escaped): how unread CoT detail is kept in the log. */
export function writeXml(element: XmlElement): string {
  let out = `<${element.name}`;
  for (let i = 0; i < element.attributeNames.length; i++) out += ` ${element.attributeNames[i]}="${xmlEscape(element.attributeValues[i]!)}"`;
  // Indentation between elements is not content.
  const text = element.text.trim() === '' ? '' : element.text;
  if (element.children.length === 0 && text === '') return `${out}/>`;
  out += `>${xmlEscape(text)}`;
  for (const inner of element.children) out += writeXml(inner);
  return `${out}</${element.name}>`;
}
