// Sign-in pages for program administrators.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { authRateLimit } from '../../http/rate-limit';
import { formSecret, formText, parseInput } from '../../http/validation';

const loginForm = z.object({
  userId: formText('User ID', 64),
  password: formSecret('Password'),
});

export function authRouter(context: AppContext): Router {
  const router = Router();

  // GET /login — the sign-in form.
  router.get('/login', (_req, res) => {
    res.render('auth/login', { title: 'Log in', values: {}, errors: {} });
  });

  // POST /login — checks the form; signing in itself arrives with the accounts feature.
  router.post('/login', authRateLimit(context.config.authRateLimitPerMinute), (req, res) => {
    const form = parseInput(loginForm, req.body);
    const values = { userId: typeof req.body?.userId === 'string' ? req.body.userId : '' };
    if (!form.ok) {
      res.status(400).render('auth/login', { title: 'Log in', values, errors: form.errors });
      return;
    }
    res.status(401).render('auth/login', {
      title: 'Log in', values, errors: {}, message: 'The User ID or Password you entered is incorrect.',
    });
  });

  return router;
}
