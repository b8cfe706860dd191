/**
 * A strict little XML reader for tests: it accepts the subset of XML 1.0 that reports use
 * (declaration, elements, attributes, character data, the five entities and character
 * references) and throws on anything malformed, so a test can both check well-formedness and
 * look at the tree. Not a general parser: no DTDs, comments, CDATA or processing instructions.
 *
 * @module
 */

/** An element with decoded attributes and text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_.:]*/y;
const SPACE = /[ \t\r\n]*/y;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
// Characters XML 1.0 does not allow anywhere, even escaped.
const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Decodes entity and character references; throws on an unknown or unterminated one. */
function decode(raw: string, at: number): string {
  return raw.replace(/&([^;&]*)(;?)/g, (_m, ref: string, semi: string) => {
    if (!semi) throw new Error(`Unterminated reference at ${at}`);
    if (ref in ENTITIES) return ENTITIES[ref];
    const num = /^#x([0-9a-fA-F]+)$/.exec(ref)?.[1];
    const dec = /^#([0-9]+)$/.exec(ref)?.[1];
    if (num || dec) {
      const ch = String.fromCodePoint(num ? parseInt(num, 16) : Number(dec));
      if (ILLEGAL.test(ch)) throw new Error(`Illegal character reference &${ref}; at ${at}`);
      return ch;
    }
    throw new Error(`Unknown entity &${ref}; at ${at}`);
  });
}

/** Parses `xml`; throws with a position when it is not well-formed. */
export function parseXml(xml: string): XmlElement {
  if (ILLEGAL.test(xml)) throw new Error("Illegal character in document");
  let i = 0;
  const skip = () => {
    SPACE.lastIndex = i;
    SPACE.exec(xml);
    i = SPACE.lastIndex;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(xml);
    if (!m) throw new Error(`Expected a name at ${i}`);
    i = NAME.lastIndex;
    return m[0];
  };
  const expect = (s: string) => {
    if (!xml.startsWith(s, i)) throw new Error(`Expected "${s}" at ${i}`);
    i += s.length;
  };
  const element = (): XmlElement => {
    expect("<");
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: "" };
    for (;;) {
      const before = i;
      skip();
      if (xml.startsWith("/>", i)) {
        i += 2;
        return el;
      }
      if (xml[i] === ">") break;
      if (i === before) throw new Error(`Expected whitespace before an attribute at ${i}`);
      const key = name();
      if (key in el.attrs) throw new Error(`Duplicate attribute "${key}" at ${i}`);
      skip();
      expect("=");
      skip();
      const q = xml[i];
      if (q !== '"' && q !== "'") throw new Error(`Expected a quoted value at ${i}`);
      const end = xml.indexOf(q, i + 1);
      if (end < 0) throw new Error(`Unterminated attribute at ${i}`);
      const raw = xml.slice(i + 1, end);
      if (raw.includes("<")) throw new Error(`"<" in attribute value at ${i}`);
      el.attrs[key] = decode(raw, i);
      i = end + 1;
    }
    i++;
    for (;;) {
      const lt = xml.indexOf("<", i);
      if (lt < 0) throw new Error(`Unclosed element <${el.name}>`);
      el.text += decode(xml.slice(i, lt), i);
      i = lt;
      if (xml.startsWith("</", i)) {
        i += 2;
        const close = name();
        if (close !== el.name) throw new Error(`</${close}> closes <${el.name}> at ${i}`);
        skip();
        expect(">");
        return el;
      }
      el.children.push(element());
    }
  };
  if (xml.startsWith("<?xml")) {
    const end = xml.indexOf("?>");
    if (end < 0) throw new Error("Unterminated XML declaration");
    i = end + 2;
  }
  skip();
  const root = element();
  skip();
  if (i !== xml.length) throw new Error(`Content after the root element at ${i}`);
  return root;
}

/** Every descendant element named `name`, in document order. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    out.push(...findAll(c, name));
  }
  return out;
}
