/**
 * Reads the docs' "Contents of Limited API" list (c-api/stable.html, from 3.11 on): the names the docs call the
 * definitive Limited API of that version, whether or not their own entries carry a Stable ABI annotation (from
 * 3.14 the PyExc_* objects, the Py_tp_* slot ids and some functions carry none, and the version has no
 * Misc/stable_abi.toml in the sources). Pure: HTML text in, names out.
 */
import * as cheerio from 'cheerio';
import { SourceError } from '../lib/errors.ts';

/** The section's id, as every Sphinx generation from 3.11 to 3.15 writes it. */
const SECTION = 'contents-of-limited-api';

/**
 * The names of the list (`PyArg_Parse()` read as `PyArg_Parse`), or null when the page has no such section
 * (3.9 and 3.10 have no list). A section without a single name is an error: the page changed shape.
 */
export function parseLimitedApiList(html: string, location: string): Set<string> | null {
  const $ = cheerio.load(html);
  const section = $(`section#${SECTION}, div#${SECTION}`).first();
  if (section.length === 0) return null;
  const names = new Set<string>();
  section.find('li').each((_, item) => {
    const name = $(item).text().trim().replace(/\(\)$/, '');
    if (/^[A-Za-z_]\w*$/.test(name)) names.add(name);
  });
  if (names.size === 0) {
    throw new SourceError(location, `expected names listed under #${SECTION}, found none`, 'Check whether the page changed shape and update scripts/sources/limited-api-list.ts.');
  }
  return names;
}
