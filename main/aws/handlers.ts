import { teamResourceNames } from '../../shared/aws';
import type { awsMethods } from '../../shared/contract/aws';
import { AppError } from '../../shared/result';
import type { AlertChannels } from '../alerts/channels';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import type { Clock } from '../ports/clock';
import { classify, testAccess } from './access';
import type { TeamAws, TeamConnection } from './clients';
import { runDoctor } from './doctor';
import { listSubscriptions, planTeam, subscriptionState } from './plan';
import { teamPolicy } from './policy';
import { ProvisionError, provisionTeam } from './provision';

export interface AwsHandlerDeps {
  teamAws: TeamAws;
  /** The SNS alert channel: it holds the seat's AWS key pair and is offered the provisioned topic. */
  alerts: AlertChannels;
  events: EventBus;
  clock: Clock;
  /** After the settings are saved: the sync and the team's readers should act on them now, not at their next poll. */
  onSettings?: () => void;
}

const UNAVAILABLE = { disabled: 'aws_disabled', not_configured: 'aws_not_configured', no_keys: 'aws_no_keys', secrets_unreadable: 'keychain_locked' } as const;

/** An AWS failure as a typed error: the error's name only (its message may echo an ARN or key id). */
function awsError(err: unknown): never {
  if (err instanceof AppError) throw err;
  if (err instanceof ProvisionError) throw new AppError('unavailable', 'aws_failed', { error: err.code, step: err.step });
  const failure = classify(err);
  const name = err instanceof Error ? err.name : 'Error';
  if (failure === 'denied') throw new AppError('forbidden', 'aws_denied', { error: name });
  if (failure === 'credentials') throw new AppError('forbidden', 'aws_credentials', { error: name });
  if (failure === 'unreachable') throw new AppError('unavailable', 'aws_unreachable', { error: name });
  throw new AppError('unavailable', 'aws_failed', { error: name });
}

/** Always the live profile's: the team layer is never reached from the Sandbox. */
export function awsHandlers({ teamAws, alerts, events, clock, onSettings }: AwsHandlerDeps): HandlersFor<typeof awsMethods> {
  let lastAccount: string | null = null;
  let provisioning = false;
  const connect = async (): Promise<TeamConnection> => {
    const c = await teamAws.connect(false);
    if ('unavailable' in c) throw new AppError('unavailable', UNAVAILABLE[c.unavailable]);
    return c;
  };
  const guarded = async <T>(work: (c: TeamConnection) => Promise<T>): Promise<T> => {
    try {
      return await work(await connect());
    } catch (err) {
      return awsError(err);
    }
  };
  const view = async () => {
    const settings = teamAws.store.get();
    return { settings, seatId: teamAws.store.seatId(), keysSet: (await alerts.view()).secrets.aws, names: teamResourceNames(settings.prefix || 'huntaze') };
  };
  return {
    'aws.settings': view,
    'aws.setSettings': async (next) => {
      teamAws.store.set(next);
      onSettings?.();
      return view();
    },
    'aws.policy': () => {
      const settings = teamAws.store.get();
      const policy = teamPolicy(teamResourceNames(settings.prefix || 'huntaze'), settings.region || '*', lastAccount);
      return { json: JSON.stringify(policy, null, 2), account: lastAccount };
    },
    'aws.test': () =>
      guarded(async (c) => {
        const access = await testAccess(c, clock);
        lastAccount = access.account ?? lastAccount;
        return access;
      }),
    'aws.doctor': () =>
      guarded(async (c) => {
        const { access, findings } = await runDoctor(c, clock);
        lastAccount = access.account ?? lastAccount;
        return { access, findings };
      }),
    'aws.plan': () => guarded((c) => planTeam(c)),
    'aws.provision': () =>
      guarded(async (c) => {
        if (provisioning) throw new AppError('conflict', 'aws_provision_running');
        provisioning = true;
        try {
          const plan = await provisionTeam(c, { onProgress: (p) => events.emit('aws.provisionProgress', p) });
          lastAccount = plan.account ?? lastAccount;
          return { plan, channelFilled: await offerTopic(alerts, c, plan.topicArn) };
        } finally {
          provisioning = false;
        }
      }),
    'aws.subscriptions': () =>
      guarded(async (c) => {
        const { topicArn } = await planTeam(c);
        const subs = topicArn ? await listSubscriptions(c, topicArn) : [];
        const byEmail = new Map(subs.filter((s) => s.Protocol === 'email').map((s) => [(s.Endpoint ?? '').toLowerCase(), subscriptionState(s)]));
        return { topicArn, subscriptions: c.settings.alertEmails.map((email) => ({ email, state: byEmail.get(email.toLowerCase()) ?? ('missing' as const) })) };
      }),
  };
}

/**
 * An SNS alert channel without a topic gets the provisioned one with the team's region,
 * credentials and endpoint; one the operator already pointed elsewhere is left alone. It is not
 * switched on: sending alerts stays the operator's choice.
 */
async function offerTopic(alerts: AlertChannels, c: TeamConnection, topicArn: string | null): Promise<boolean> {
  const { sns } = alerts.store.get();
  if (!topicArn || sns.topicArn) return false;
  await alerts.update({ sns: { ...sns, topicArn, region: c.settings.region, credentials: c.settings.credentials, endpoint: c.settings.snsEndpoint || c.settings.endpoint } });
  return true;
}
