-- Three notifications waiting for the daily digest of 2 June 2026 for every active person (as if
-- three of their models were approved that morning). Run it on a copy of the database.
insert into plans_notification (user_id, title, body, url, key, created_at, email_status, email_attempts,
                                email_error, kind)
select u.id, 'Mô hình “Đường hoa nông thôn mới” số ' || g || ' được duyệt đăng ký', 'Lãnh đạo đơn vị đã duyệt.',
       '/models/' || g || '/', null, timestamptz '2026-06-02 09:00+07' + g * interval '1 minute', 'digest', 0, '',
       'model.approved'
from accounts_user u, generate_series(1, 3) g where u.is_active;
analyze;
