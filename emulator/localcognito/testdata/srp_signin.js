// srp_signin.js signs a user in with amazon-cognito-identity-js's own
// USER_SRP_AUTH implementation, against the endpoint in ENDPOINT. It is
// run by TestSRPWithAmazonCognitoIdentityJS when NODE_PATH (or the
// working directory) provides the amazon-cognito-identity-js package.
const { CognitoUserPool, CognitoUser, AuthenticationDetails } = require('amazon-cognito-identity-js');

const pool = new CognitoUserPool({
  UserPoolId: process.env.POOL,
  ClientId: process.env.CLIENT,
  endpoint: process.env.ENDPOINT,
});
const user = new CognitoUser({ Username: process.env.USERNAME, Pool: pool });
user.setAuthenticationFlowType('USER_SRP_AUTH');
user.authenticateUser(
  new AuthenticationDetails({ Username: process.env.USERNAME, Password: process.env.PASSWORD }),
  {
    onSuccess: (session) => {
      console.log(JSON.stringify({ ok: true, username: session.getIdToken().payload['cognito:username'] }));
    },
    onFailure: (err) => {
      console.log(JSON.stringify({ ok: false, code: err.code, message: err.message }));
    },
  },
);
