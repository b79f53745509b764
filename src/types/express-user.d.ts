// The signed-in person passport puts on req.user.
import type { SignedInAdministrator } from '../features/accounts/sign-in.service';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SignedInAdministrator {}
  }
}
