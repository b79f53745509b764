// The signed-in help-desk staff member, on requests of the staff realm.
import type { SignedInStaff } from '../features/helpdesk/staff-auth.service';

declare global {
  namespace Express {
    interface Request {
      staff?: SignedInStaff;
    }
  }
}
