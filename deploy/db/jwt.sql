-- Access-token lifetime for SQL that reads it (as Supabase's own compose file does).
\set jwt_exp `echo "$JWT_EXP"`

alter database postgres set "app.settings.jwt_exp" to :'jwt_exp';
