import { api } from '../api/browser-client';
import { publicContent } from '../api/platform';
import { useI18n } from '../i18n/I18nProvider';
import { useLoader } from '../lib/use-loader';

/**
 * The platform's public text for signed-out visitors, in the page's language, as its administrators wrote it
 * (GET /api/v1/content/public). Until they write any, the product's own words stand in.
 */
export function PublicHome() {
  const { t, locale } = useI18n();
  const content = useLoader((signal) => publicContent(api, locale, { signal }), [locale]);
  const blocks = content.data?.lang === locale ? content.data.blocks : undefined;
  if (!blocks) return null;
  const title = blocks['home.title'] ?? t('home.defaultTitle');
  const tagline = blocks['home.tagline'] ?? t('home.defaultTagline');
  const body = blocks['home.body'];
  return (
    <section className="public-home" data-testid="public-home" data-lang={locale}>
      <h2 data-testid="public-home-title">{title}</h2>
      <p className="muted" data-testid="public-home-tagline">
        {tagline}
      </p>
      {body && <p data-testid="public-home-body">{body}</p>}
    </section>
  );
}
