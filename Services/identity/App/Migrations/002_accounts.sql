-- Accounts: registration (ลงทะเบียนผู้ใช้งานใหม่), approval, rights, sessions, audit.

-- The district office's workgroups; indicators are owned by one, district staff belong to one.
CREATE TABLE workgroups (
    id          serial PRIMARY KEY,
    name_th     text NOT NULL UNIQUE CHECK (length(name_th) BETWEEN 1 AND 200),
    active      boolean NOT NULL DEFAULT true
);
INSERT INTO workgroups (name_th) VALUES
    ('กลุ่มอำนวยการ'),
    ('กลุ่มนโยบายและแผน'),
    ('กลุ่มบริหารงานบุคคล'),
    ('กลุ่มบริหารงานการเงินและสินทรัพย์'),
    ('กลุ่มนิเทศติดตามและประเมินผลการจัดการศึกษา'),
    ('กลุ่มส่งเสริมการจัดการศึกษา'),
    ('กลุ่มพัฒนาครูและบุคลากรทางการศึกษา'),
    ('กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร'),
    ('กลุ่มกฎหมายและคดี'),
    ('หน่วยตรวจสอบภายใน');

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    username        text NOT NULL,
    password_hash   text NOT NULL,
    national_id     text NOT NULL CHECK (national_id ~ '^[0-9]{13}$'),
    title           text NOT NULL,
    first_name_th   text NOT NULL,
    last_name_th    text NOT NULL,
    first_name_en   text NOT NULL,
    last_name_en    text NOT NULL,
    staff_kind      text NOT NULL CHECK (staff_kind IN ('civil_servant', 'government_employee', 'temporary_employee')),
    position        text NOT NULL,
    office_phone    text NOT NULL,
    mobile          text NOT NULL,
    unit_code       int NOT NULL REFERENCES units (code),
    province        text NOT NULL,
    email           text NOT NULL,
    workgroup_id    int REFERENCES workgroups (id),
    status          text NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'disabled')),
    status_reason   text,
    rights          text[] NOT NULL DEFAULT '{}',
    must_change_password boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username ON users (lower(username));
CREATE UNIQUE INDEX users_national_id ON users (national_id) WHERE status IN ('pending', 'active');
CREATE INDEX users_status ON users (status);

-- The signed rights-request form, uploaded at registration (PDF or image, checked by content).
CREATE TABLE registration_forms (
    user_id         uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    content_type    text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    bytes           bytea NOT NULL,
    uploaded_at     timestamptz NOT NULL DEFAULT now()
);

-- Sessions: only the SHA-256 of the token is stored, so a copy of the table signs nobody in.
CREATE TABLE sessions (
    token_hash      bytea PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token      text NOT NULL,
    year_be         int,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins by account and by address, for throttling; old rows are deleted.
CREATE TABLE sign_in_failures (
    key             text NOT NULL,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);

-- Every change to an account: who, when, old → new.
CREATE TABLE user_audit (
    id              bigserial PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    actor_id        uuid REFERENCES users (id),
    at              timestamptz NOT NULL DEFAULT now(),
    field           text NOT NULL,
    old_value       text,
    new_value       text
);
CREATE INDEX user_audit_user ON user_audit (user_id, at);
