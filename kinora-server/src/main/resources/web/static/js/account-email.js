// The pages emailed links open: confirming an email address, and resetting a password (asking
// for the link without a token, choosing the new password with one).
import { api } from './app.js';

const token = new URLSearchParams(location.search).get('token');
const status = document.getElementById('email-status');
const next = document.getElementById('email-next');
const error = document.getElementById('form-error');

function fail(e) {
  if (error) {
    error.textContent = e.message;
    error.hidden = false;
  } else {
    status.textContent = e.message;
  }
}

if (document.getElementById('verify-title')) {
  api('/api/v1/auth/email/verify', { method: 'POST', body: { token: token || '' } })
    .then(() => { status.textContent = 'Your email address is confirmed. You can sign in now.'; next.hidden = false; })
    .catch(fail);
} else if (!token) {
  const form = document.getElementById('reset-request');
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      await api('/api/v1/auth/password/reset', { method: 'POST', body: { email: form.email.value.trim() } });
      form.hidden = true;
      status.textContent = 'If an account has this address, an email with a link is on its way. The link works once.';
    } catch (e) { fail(e); }
  });
} else {
  const form = document.getElementById('reset-confirm');
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      await api('/api/v1/auth/password/reset/confirm', { method: 'POST', body: { token, new_password: form.password.value } });
      form.hidden = true;
      status.textContent = 'Your password is changed, and every device that was signed in is signed out.';
      next.hidden = false;
    } catch (e) { fail(e); }
  });
}
