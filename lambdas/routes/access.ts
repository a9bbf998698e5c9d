import { defineRoutes, SIGNED_IN } from './route.ts';

/** Who may see and do what (the access function). */
export const accessRoutes = defineRoutes({
  'GET /v1/me': {
    summary:
      'Who you are to Pulso: the name the API records you by and your role (null for someone in no Pulso group); the web app shows the screens the role may use',
    auth: { jwt: SIGNED_IN },
    responses: { 200: '{ actor, role }' },
    problems: [401],
  },
});
