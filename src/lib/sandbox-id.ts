// The sandbox a request reaches when it names none: the one `npm start` seeds and keeps.
export const DEFAULT_SANDBOX_ID = 'default';
