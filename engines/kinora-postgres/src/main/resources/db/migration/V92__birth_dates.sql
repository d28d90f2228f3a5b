-- A viewer's date of birth (issue 17: age-restricted videos need a signed-in viewer aged 18 or
-- more). Optional: asked at sign-up or later in the account settings; a row only when given.
-- Kept beside users rather than in it so that the account's own row and its readers stay as they
-- were; deleting the account deletes it.
CREATE TABLE account_birth_dates (
    user_id    text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    birth_date date NOT NULL
);
