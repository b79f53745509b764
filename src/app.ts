// createApp(context) → the Express app of one sandbox. No I/O at import time; server.ts listens.
import express, { type Express } from 'express';
import type { AppContext } from './context';
import type { SimulatorControls } from './features/sandboxes/simulator-controls';
import { accountsRouter } from './features/accounts/accounts.routes';
import { authRouter } from './features/auth/auth.routes';
import { createPassport } from './features/auth/passport';
import { cardsRouter } from './features/cards/cards.routes';
import { helpRouter } from './features/help/help.routes';
import { helpdeskRouter } from './features/helpdesk/helpdesk.routes';
import { twoStepRouter } from './features/two-step/two-step.routes';
import { homeRouter } from './features/home/home.routes';
import { profileRouter } from './features/profile/profile.routes';
import { accessRouter } from './features/access/access.routes';
import { approvalsRouter } from './features/approvals/approvals.routes';
import { applicationsRouter } from './features/applications/applications.routes';
import { messagesRouter } from './features/messages/messages.routes';
import { reportsRouter } from './features/reports/reports.routes';
import { catchUpDueWork } from './features/scheduler/due-work';
import { statementsRouter } from './features/statements/statements.routes';
import { transactionsRouter } from './features/transactions/transactions.routes';
import { simApiRouter } from './features/sim/sim.routes';
import { simConsoleRouter } from './features/sim-console/sim-console.routes';
import { closeUndeclaredRoutes, publicAccess } from './http/access';
import { csrfProtection } from './http/csrf';
import { errorHandler, notFoundHandler } from './http/errors';
import { baseLocals, pageLocals, takeFlashOnRender } from './http/locals';
import { requestLogger } from './http/request-log';
import { noStore, securityHeaders } from './http/security';
import { viewEngine } from './http/views';
import { enforceSessionTimeouts, sessionMiddleware } from './http/sessions';
import { projectPath } from './lib/project-root';

/** Forms are small; anything larger is a mistake or an attack. */
const FORM_BODY_LIMIT = '16kb';
const FORM_FIELD_LIMIT = 100;

export function createApp(context: AppContext, simulator: SimulatorControls): Express {
  const app = express();
  app.disable('x-powered-by');
  // Every dynamic answer is `Cache-Control: no-store`, so nothing would ever revalidate with an ETag:
  // hashing each page for one is wasted work. Static files keep theirs (express.static sets its own).
  app.disable('etag');
  app.set('trust proxy', context.config.trustProxy);
  // Mount points match case-sensitively, as cookie paths do: /HelpDesk is not the help desk (it
  // reached the staff router without the staff session, whose cookie path is /helpdesk, and failed).
  app.set('case sensitive routing', true);
  app.set('views', projectPath('views'));
  app.engine('ejs', viewEngine(projectPath('views')));
  app.set('view engine', 'ejs');
  app.enable('view cache');
  takeFlashOnRender(app);

  app.use(requestLogger(context.logger));
  app.use(securityHeaders());
  app.use(context.journal.wakeReadersAfterEachRequest());
  app.use(context.faults.middleware(() => context.db.assertOpen()));
  app.use(baseLocals());
  app.use('/static', express.static(projectPath('public'), { index: false, maxAge: '1h' }));
  // Due work belongs to the sandbox: every realm after this (simulator API, help desk, console, PA
  // pages) sees it with the request statuses, limits and inactivity that fell due already done.
  app.use(catchUpDueWork(context));

  app.use('/sim/api', noStore, simApiRouter(context, simulator));

  app.use(noStore);
  app.use(express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT, parameterLimit: FORM_FIELD_LIMIT }));
  // The help desk is a realm of its own, with its own session cookie, before the PA session starts.
  app.use('/helpdesk', helpdeskRouter(context));

  const passport = createPassport(context);
  // passport.session() extends each request with logIn/logout as it restores the user; since passport
  // 0.5.1 passport.initialize() adds nothing more we use, and dropping it saved about 25 µs a page.
  app.use(sessionMiddleware(context), enforceSessionTimeouts(context), passport.session());
  app.use(csrfProtection, pageLocals());

  // GET / — signed in, the homepage; otherwise the sign-in page.
  app.get('/', publicAccess, (req, res) => res.redirect(req.user ? '/home' : '/login'));
  // The signed-in pages first: most requests are theirs, and routers are tried in order.
  app.use(homeRouter(context));
  app.use(cardsRouter(context));
  app.use(transactionsRouter(context));
  app.use(statementsRouter(context));
  app.use(profileRouter(context));
  app.use(messagesRouter(context));
  app.use(accessRouter(context));
  app.use(approvalsRouter(context));
  app.use(applicationsRouter(context));
  app.use(reportsRouter(context));
  app.use(authRouter(context, passport));
  app.use(accountsRouter(context));
  app.use(twoStepRouter(context));
  app.use(helpRouter());
  app.use(simConsoleRouter(context, simulator));

  app.use(notFoundHandler);
  app.use(errorHandler(context.logger));

  for (const route of closeUndeclaredRoutes(app.router)) {
    context.logger.error({ methods: route.methods, path: route.path }, 'route declares no access: refusing everyone');
  }
  return app;
}
