import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { Link as WouterLink } from 'wouter';
import { navigate as browserNavigate, usePathname, useSearch } from 'wouter/use-browser-location';

// The app's router is wouter's browser location (History API, with pushState and replaceState observed), behind
// the four names the pages use, so a page never imports the library itself. The screens are chosen in App.tsx.

export interface Location {
  pathname: string;
  search: string;
}

const current = () => window.location.pathname + window.location.search;

/** The path and the query string (with its `?`, or empty); a page re-renders when either changes. */
export function useLocation(): Location {
  return { pathname: usePathname(), search: useSearch() };
}

export function useSearchParam(name: string): string | null {
  return new URLSearchParams(useSearch()).get(name);
}

/** Goes to a path of the app; the same place again adds no history entry. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === current()) return;
  browserNavigate(to, { replace: options.replace ?? false });
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/**
 * A link inside the app: a plain click navigates without a reload; a click with a modifier key or a middle
 * button, and a link to a new tab, are left to the browser.
 */
export function Link({ to, onClick, ...rest }: LinkProps) {
  if (rest.target === '_blank') return <a href={to} onClick={onClick} {...rest} />;
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    // wouter navigates unless the click was handled: a link to where we are is (no second history entry).
    if (!event.defaultPrevented && to === current()) event.preventDefault();
  }
  return <WouterLink href={to} onClick={handleClick} {...rest} />;
}
