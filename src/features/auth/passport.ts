// One passport instance per sandbox (no module-level state): the local strategy signs program
// administrators in; each request re-reads the account, so a lock or a permission change made
// elsewhere applies at the user's next request.
import { Passport } from 'passport';

export type PortalPassport = InstanceType<typeof Passport>;
import { Strategy as LocalStrategy } from 'passport-local';
import type { AppContext } from '../../context';
import { loadSignedInAdministrator, signIn } from '../accounts/sign-in.service';
import { browserIsTrusted } from '../two-step/trusted-devices.service';
import { needsSecondStep } from '../two-step/two-step.service';

export function createPassport(context: AppContext): PortalPassport {
  const passport = new Passport();

  passport.use(new LocalStrategy(
    { usernameField: 'userId', passwordField: 'password', passReqToCallback: true },
    (req, userId, password, done) => {
      // A code follows the password when 2-step is on, unless this browser is trusted for the PA.
      const secondStep = (paId: number) => needsSecondStep(context, paId) && !browserIsTrusted(context, req, paId, context.clock.nowMs());
      signIn(context, userId.trim(), password, req.ip ?? null, secondStep).then(
        (result) => {
          if (result.ok === true) return done(null, result.user);
          if (result.ok === 'second_step') return done(null, false, { message: 'second_step', paId: result.paId } as { message: string });
          return done(null, false, { message: result.reason });
        },
        done,
      );
    },
  ));

  passport.serializeUser((user, done) => done(null, `pa:${user.id}`));

  passport.deserializeUser((key: string, done) => {
    const match = /^pa:(\d+)$/.exec(key);
    const user = match ? loadSignedInAdministrator(context, Number(match[1])) : undefined;
    // false ends the sign-in: the account was locked, suspended or deactivated since.
    done(null, user ?? false);
  });

  return passport;
}
