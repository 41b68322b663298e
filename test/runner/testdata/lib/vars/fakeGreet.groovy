import org.example.fake.Greeter

// A var as the dxsteps library writes them: a thin call(Map) handing `this` to a class in src/.
def call(Map config = [:]) {
    return new Greeter(this).greet(config)
}
