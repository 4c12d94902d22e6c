"""`{% render_section section %}`: renders a `fitstore.sections.Section` in the page's context
(as `{% include %}` does), with the section's own context on top."""
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_section(context, section):
    section_template = context.template.engine.get_template(section.template_name)
    with context.push(section.context):
        return section_template.render(context)
