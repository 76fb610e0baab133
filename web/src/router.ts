/**
 * Hash routing: `#/path?query`. The hub serves one page, so every view is
 * addressable and reloadable without server routes.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** Path segments, decoded: `#/process/web1/app:web` → ['process', 'web1', 'app:web']. */
  parts: string[];
  params: URLSearchParams;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#/, '');
  const [path = '', search = ''] = hash.split('?');
  const parts = path
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part));
  return { parts, params: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function href(parts: readonly string[], params?: Record<string, string>): string {
  const path = parts.map((part) => encodeURIComponent(part)).join('/');
  const search = params === undefined ? '' : new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
  return `#/${path}${search === '' ? '' : `?${search}`}`;
}

/** Replaces the query of the current route without adding a history entry per keystroke. */
export function replaceParams(params: Record<string, string>): void {
  const { parts } = currentRoute();
  history.replaceState(null, '', href(parts, params));
  dispatchEvent(new HashChangeEvent('hashchange'));
}
