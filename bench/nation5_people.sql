-- A `seed_demo --size nation5 --scale 0.05` country with the full size's number of people: every unit
-- that has one person (the agencies: 24 staff each at full size) gets 23 more, staff (`canbo`), the
-- first of them also on the Union committee (`congdoan`), as seed_demo gives the full size.
-- 4,047 → 88,825 active people (the full size has about 95,000). Run it on a copy of the database.
create temp table single as
  select min(u.id) as src, u.unit_id from accounts_user u where u.is_active group by u.unit_id having count(*) = 1;
insert into accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                           date_joined, full_name, position, phone, unit_id)
select u.password, false, u.username || 'x' || g, '', '', u.username || 'x' || g || '@dvk.example.org', false, true,
       u.date_joined, u.full_name || ' ' || g, 'Chuyên viên', '', u.unit_id
from single s join accounts_user u on u.id = s.src, generate_series(1, 23) g;
insert into accounts_user_roles (user_id, role_id)
select u.id, r.id from accounts_user u join accounts_role r on r.code = 'canbo' where u.username ~ 'x[0-9]+$';
insert into accounts_user_roles (user_id, role_id)
select u.id, r.id from accounts_user u join accounts_role r on r.code = 'congdoan' where u.username ~ 'x1$';
analyze;
