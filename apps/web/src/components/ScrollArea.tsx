import { type HTMLAttributes, type ReactNode, useLayoutEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';

/**
 * A box whose content may be wider (or taller) than it — a table on a phone, the invoice preview — and then
 * scrolls inside it. While it does, it is a named region in the tab order, so a keyboard user can reach it and
 * scroll it with the arrow keys (WCAG 2.1.1; axe's scrollable-region-focusable); while it does not, it is a plain
 * box and adds no tab stop.
 */
export function ScrollArea({
  as: Tag = 'div',
  label,
  children,
  ...rest
}: {
  as?: 'div' | 'aside' | 'section';
  /** What the region holds, for a screen reader; the box's own aria-label wins when it has one. */
  label?: string;
  children: ReactNode;
} & HTMLAttributes<HTMLElement>) {
  const { t } = useI18n();
  const ref = useRef<HTMLElement>(null);
  const [scrolls, setScrolls] = useState(false);

  useLayoutEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () =>
      setScrolls(box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    // The content grows when rows arrive: watch the children too, and the list of them.
    for (const child of Array.from(box.children)) observer.observe(child);
    const added = new MutationObserver(() => {
      for (const child of Array.from(box.children)) observer.observe(child);
      measure();
    });
    added.observe(box, { childList: true });
    return () => {
      observer.disconnect();
      added.disconnect();
    };
  }, []);

  return (
    <Tag
      ref={ref as never}
      {...rest}
      {...(scrolls
        ? {
            tabIndex: 0,
            role: rest.role ?? (Tag === 'div' ? 'region' : undefined),
            'aria-label': rest['aria-label'] ?? label ?? t('app.scrollArea'),
          }
        : {})}
    >
      {children}
    </Tag>
  );
}
