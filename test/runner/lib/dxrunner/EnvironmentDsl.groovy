package dxrunner

import hudson.AbortException

/** The delegate of `environment {}`: assignments set variables; credentials('id') binds one. */
class EnvironmentDsl extends GroovyObjectSupport {
    private final Build build
    private final Context ctx

    EnvironmentDsl(Build build, Context ctx) {
        this.build = build
        this.ctx = ctx
    }

    @Override
    void setProperty(String name, Object value) {
        if (value instanceof CredentialRef) {
            bindCredential(name, ((CredentialRef) value).id)
        } else {
            ctx.env[name] = value == null ? '' : value.toString()
        }
    }

    @Override
    Object getProperty(String name) {
        if (ctx.env.containsKey(name) && name != 'env') {
            return ctx.env[name]
        }
        throw new MissingPropertyException(name, EnvironmentDsl)
    }

    CredentialRef credentials(String id) {
        new CredentialRef(id: id)
    }

    /** As Jenkins: secret text -> NAME; username/password -> NAME=user:pass, NAME_USR, NAME_PSW; file -> path. */
    private void bindCredential(String name, String id) {
        String kind = build.credentials.kindOf(id)
        Map cred = build.credentials.get(id, kind)
        if (kind == 'string') {
            ctx.env[name] = cred.secret.toString()
            build.console.addSecret(cred.secret.toString())
        } else if (kind == 'usernamePassword') {
            ctx.env[name] = "${cred.username}:${cred.password}".toString()
            ctx.env[name + '_USR'] = cred.username.toString()
            ctx.env[name + '_PSW'] = cred.password.toString()
            build.console.addSecret(ctx.env[name])
            build.console.addSecret(cred.password.toString())
        } else {
            ctx.env[name] = build.steps.secretFile(id, cred).path
        }
    }
}
