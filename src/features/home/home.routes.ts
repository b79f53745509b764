// The signed-in homepage.
import { Router } from 'express';
import { signedIn } from '../../http/access';
import { PERMISSIONS } from '../permissions/permissions';

export function homeRouter(): Router {
  const router = Router();

  // GET /home — where a program administrator lands after signing in.
  router.get('/home', signedIn, (req, res) => {
    const user = req.user!;
    res.render('home/home', {
      title: 'Home',
      permissions: user.permissions.map((permission) => ({ permission, label: PERMISSIONS[permission] })),
    });
  });

  return router;
}
