// How pages are rendered: EJS, with the options Express cannot pass to it through app settings.
import ejs from 'ejs';

type RenderCallback = (err: Error | null, html?: string) => void;

/**
 * Includes name their partial from the views folder (`include('/partials/header')`), so EJS
 * resolves them from `root` by path alone. A relative include would be looked up on disk with a
 * filesystem check on every render, five times per page; compiled templates are cached either way.
 */
export function viewEngine(root: string) {
  const options = { root, cache: true };
  return (file: string, data: object, callback: RenderCallback): void => {
    ejs.renderFile(file, data, options, callback);
  };
}
