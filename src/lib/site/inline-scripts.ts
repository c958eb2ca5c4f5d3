/**
 * The site's only inline script, and the Content-Security-Policy hash that lets it run where a page holds it.
 * Every other script is a file of public/js/.
 */
import { createHash } from 'node:crypto';

/**
 * Placed right after an API page's version switch: checks the reader's Python version (the URL's ?v=, else the
 * last one chosen, which support.js stores under the same key) while the page is parsed, so the first paint shows
 * that version's blocks. As a deferred file it ran after the first paint in 2 of 3 loads, and the newest version
 * showed for a frame. It finds the radio by its value, the version itself, so it does not repeat how the page builds
 * the radios' ids. A version this page lacks leaves the newest checked.
 */
export const CHOOSE_VERSION_SCRIPT =
  "(function(){try{var v=new URLSearchParams(location.search).get('v')||JSON.parse(localStorage.getItem('capi-refs-version')||'null');" +
  "var rs=document.getElementsByName('version');for(var i=0;i<rs.length;i++)if(rs[i].value===String(v))rs[i].checked=true}catch(e){}})()";

/** The CSP source expression ('sha256-…') that allows exactly this inline script. */
export function cspHashOf(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}
