// The PA's 2-step page: the setting and its channel, turning it on, changing or off, trusted devices.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { signedIn } from '../../http/access';
import { hasRecentProof, recordPasswordProof } from '../../http/recent-proof';
import { addFlash } from '../../http/sessions';
import { parseInput } from '../../http/validation';
import { notFound } from '../../lib/errors';
import {
  confirmChannel, disableTwoStep, passwordIsRight, revokeDevice, startChannelSetup, twoStepSettings,
} from './two-step-settings.service';

const PAGE = '/profile/two-step';
/** Where a revoke returns: the profile or this page, never an address the form chose freely. */
const backTo = (req: Request): string => (req.body?.back === '/profile' ? '/profile' : PAGE);
const channelForm = z.object({ channel: z.enum(['email', 'sms'], { error: 'Choose where codes should go.' }) });
const codeForm = z.object({
  code: z.string().transform((code) => code.replace(/\s/g, '')).pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.')),
});

export function twoStepRouter(context: AppContext): Router {
  const router = Router();

  const render = (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const now = context.clock.nowMs();
    const settings = twoStepSettings(context, req.user!.id, now);
    if (!settings) throw notFound();
    res.status(status).render('two-step/settings', {
      title: '2-step verification', settings, setup: req.session.twoStepSetup, needsPassword: !hasRecentProof(req, context.config.rules, now),
      errors: {}, ...extra,
    });
  };

  /** The step-up: true when the password was proved recently or is re-entered right now. */
  const steppedUp = async (req: Request): Promise<boolean> => {
    const now = context.clock.nowMs();
    if (hasRecentProof(req, context.config.rules, now)) return true;
    const typed = typeof req.body?.currentPassword === 'string' ? req.body.currentPassword : '';
    if (!typed || !(await passwordIsRight(context, req.user!.id, typed))) return false;
    recordPasswordProof(req, now);
    return true;
  };
  const PASSWORD_NEEDED = { currentPassword: 'Enter your current password to change this setting.' };

  // GET /profile/two-step — the setting, its channel and the trusted devices.
  router.get(PAGE, signedIn, (req, res) => render(req, res, 200));

  // POST /profile/two-step/setup — sends a code to the chosen channel, to prove it before it counts.
  router.post(`${PAGE}/setup`, signedIn, async (req, res) => {
    const form = parseInput(channelForm, req.body);
    if (!form.ok) return render(req, res, 400, { errors: form.errors });
    if (!(await steppedUp(req))) return render(req, res, 401, { errors: PASSWORD_NEEDED });
    const started = startChannelSetup(context, req.user!.id, form.data.channel, context.clock.nowMs(), req.ip ?? null);
    if (!started.ok) return render(req, res, 400, { errors: { channel: 'There is no phone on file that can receive texts. Call the Help Desk to add one.' } });
    req.session.twoStepSetup = { channel: form.data.channel, codeId: started.codeId };
    res.redirect(303, PAGE);
  });

  // POST /profile/two-step/confirm — the code sent to the new channel turns it on.
  router.post(`${PAGE}/confirm`, signedIn, (req, res) => {
    const setup = req.session.twoStepSetup;
    if (!setup) return res.redirect(303, PAGE);
    const form = parseInput(codeForm, req.body);
    if (!form.ok) return render(req, res, 400, { errors: form.errors });
    if (!confirmChannel(context, req.user!.id, setup, form.data.code, context.clock.nowMs(), req.ip ?? null)) {
      return render(req, res, 401, { errors: { code: 'That code is not right or is no longer valid. Ask for a new one.' } });
    }
    delete req.session.twoStepSetup;
    addFlash(req, 'notice', '2-step verification is on.');
    res.redirect(303, PAGE);
  });

  // POST /profile/two-step/disable — turns 2-step off, unless the company requires it.
  router.post(`${PAGE}/disable`, signedIn, async (req, res) => {
    if (!(await steppedUp(req))) return render(req, res, 401, { errors: PASSWORD_NEEDED });
    const outcome = disableTwoStep(context, req.user!.id, context.clock.nowMs(), req.ip ?? null);
    if (!outcome.ok) return render(req, res, 409, { message: 'Your company requires 2-step verification: it cannot be turned off.', messageCode: 'two_step_required' });
    delete req.session.twoStepSetup;
    addFlash(req, 'notice', '2-step verification is off.');
    res.redirect(303, PAGE);
  });

  // POST /profile/devices/revoke-all — no browser skips the code any more.
  router.post('/profile/devices/revoke-all', signedIn, (req, res) => {
    revokeDevice(context, req.user!.id, 'all', context.clock.nowMs(), req.ip ?? null);
    addFlash(req, 'notice', 'No device is trusted any more: every sign-in asks for a code.');
    res.redirect(303, backTo(req));
  });

  // POST /profile/devices/:id/revoke — that browser asks for a code again.
  router.post('/profile/devices/:id/revoke', signedIn, (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || revokeDevice(context, req.user!.id, id, context.clock.nowMs(), req.ip ?? null) === 0) throw notFound();
    addFlash(req, 'notice', 'That device is no longer trusted.');
    res.redirect(303, backTo(req));
  });

  return router;
}
