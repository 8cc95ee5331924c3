import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { PageHeading } from '../components/PageHeading';
import { paths } from '../routing/routes';

/** Where a campaign and a notification about it will open; until campaigns exist it names the id it was given. */
export function CampaignPage({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="page-title">
      <PageHeading>{t('campaign.title')}</PageHeading>
      <dl className="facts">
        <dt>{t('campaign.id')}</dt>
        <dd><code data-testid="campaign-id">{id}</code></dd>
      </dl>
      <div className="empty" data-testid="empty-state">
        <strong>{t('empty.notYet')}</strong>
        <p>{t('campaign.notYet')}</p>
        <Link href={paths.page('campaigns')}>{t('campaign.back')}</Link>
      </div>
    </section>
  );
}
