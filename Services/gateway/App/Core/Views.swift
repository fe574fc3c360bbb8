import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime
import Mustache

/// Pages come from mustache templates: each feature keeps its own in `Features/<Feature>/Templates`,
/// the shared ones are in `Core/Templates` (layout, error). SwiftPM copies them all into the
/// bundle, so every template name is unique across features. `{{value}}` is always escaped;
/// `{{{…}}}` appears only where the layout places a page's own rendered HTML. UI text is
/// written in Thai inside `{{#t}}…{{/t}}` and shown in English when the page's language is.
enum Views {
    /// Loaded once; a template that does not parse stops the gateway at its first page (and the
    /// unit test that renders every template first).
    static let library: MustacheLibrary = {
        do { return try load() } catch { fatalError("page templates: \(error)") }
    }()

    static func load() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in try templateTexts() { try library.register(text, named: name) }
        guard library.getTemplate(named: "layout") != nil else { throw ViewsMissing() }
        return library
    }

    /// Template name → its text, from the bundle.
    static func templateTexts() throws -> [String: String] {
        guard let folder = Bundle.module.resourceURL else { throw ViewsMissing() }
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        var texts: [String: String] = [:]
        for file in files where file.pathExtension == "mustache" {
            texts[file.deletingPathExtension().lastPathComponent] = try String(contentsOf: file, encoding: .utf8)
        }
        return texts
    }

    struct ViewsMissing: Error {}

    /// One template's HTML for `model`.
    static func render(_ template: String, _ model: Any) -> String {
        guard let html = library.render(WithHelpers(model), withTemplate: template) else {
            preconditionFailure("no page template named \(template)")
        }
        return html
    }

    /// A whole page: `template` rendered with `model`, inside the layout (Thai first, phone
    /// width first, the menu the session's rights allow).
    static func page(_ template: String, title: String, session: SessionInfo? = nil, status: HTTPResponse.Status = .ok,
                     _ model: Any = [String: String]()) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: html(template, title: title, session: session, model))))
    }

    /// The whole page as text (for a page that computes its own ETag from its bytes).
    static func html(_ template: String, title: String, session: SessionInfo? = nil, _ model: Any = [String: String]()) -> String {
        let layout = LayoutView(lang: Language.current.rawValue, title: t(title), content: render(template, model),
                                menu: session.map(MenuView.init), english: Language.current == .en)
        return render("layout", layout)
    }
}

/// What every template can use besides its model: `t`, the UI text in the page's language.
struct WithHelpers: MustacheParent {
    let model: Any
    init(_ model: Any) { self.model = model }

    func child(named name: String) -> Any? {
        if name == "t" { return MustacheLambda { text in t(text) } }
        if let parent = model as? MustacheParent { return parent.child(named: name) }
        guard let value = Mirror(reflecting: model).children.first(where: { $0.label == name })?.value else { return nil }
        // An optional value is its content, or nothing (so `{{#x}}` hides a missing one).
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}

struct LayoutView {
    var lang: String
    var title: String
    var content: String
    var menu: MenuView?
    var english: Bool
}

/// The menu: only what the user's rights allow.
struct MenuView {
    var csrf: String
    var views: Bool
    var reviews: Bool
    var summaries: Bool
    var answersRequests: Bool
    var administers: Bool

    init(_ s: SessionInfo) {
        csrf = s.csrf
        views = s.has(.view)
        reviews = s.has(.review)
        summaries = s.has(.viewSummary)
        answersRequests = s.has(.administer) || s.has(.answerRequests)
        administers = s.has(.administer)
    }
}

/// One choice of a `select` (or radio group) in a template.
struct Option {
    var value, label: String
    var selected: Bool
}
