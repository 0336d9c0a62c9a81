// A card, front or back, drawn in the browser from the words the server sends (`face`, a JSON string).
// Every deck value is shown with {{ }} (text, never HTML); the band colour was checked as #RRGGBB and every link
// as http(s) on the server before it got here. The live region stays in the page from the first drawing on (a region
// added with its text is not announced) and changes only when the server sends a new announcement.

const Points = {
  name: "ck-points",
  props: { items: Array },
  template: `
    <ul class="ck-list">
      <li v-for="(item, i) in items" :key="i" class="ck-item">
        <div class="ck-marker" :class="{ 'ck-bullet': item.bullet }">{{ item.marker }}</div>
        <div class="ck-item-body">
          <div v-if="item.text">{{ item.text }}</div>
          <ck-points v-if="item.points && item.points.length" :items="item.points"></ck-points>
        </div>
      </li>
    </ul>`,
};
Points.components = { "ck-points": Points };

export default {
  components: { "ck-points": Points },
  props: {
    face: String,
    progress: String,
    announce: String,
  },
  computed: {
    card() {
      return this.face ? JSON.parse(this.face) : null;
    },
  },
  template: `
    <article :aria-label="card ? card.aria : null">
      <template v-if="card">
        <div class="ck-band" :style="{ background: card.colour, color: card.ink }">
          <div class="ck-band-number">{{ card.number }}</div>
          <div class="ck-band-title">{{ card.title }}</div>
          <div class="ck-band-progress">{{ progress }}</div>
        </div>
        <div class="ck-face">
          <div class="ck-card-id">{{ card.heading }}</div>
          <template v-if="card.side === 'front'">
            <div class="nicegui-column gap-2 w-full" style="margin: auto 0">
              <h2 class="ck-lead">{{ card.lead }}</h2>
              <ck-points v-if="card.lead_points.length" :items="card.lead_points" class="ck-lead-points"></ck-points>
            </div>
            <div v-if="card.see_over" class="ck-see-over">SEE OVER ↻</div>
          </template>
          <template v-else>
            <p v-for="(p, i) in card.paragraphs" :key="'p' + i" :class="p.kind">{{ p.text }}</p>
            <div v-if="card.groups.length" class="nicegui-column gap-2 w-full">
              <template v-for="(group, g) in card.groups" :key="g">
                <h3 v-if="group.heading" class="ck-group-heading">{{ group.heading }}</h3>
                <ck-points :items="group.items"></ck-points>
              </template>
            </div>
            <ck-points v-if="card.prompts.length" :items="card.prompts"></ck-points>
            <div v-if="card.footnotes.length" class="nicegui-column ck-small gap-1 w-full">
              <template v-for="(note, n) in card.footnotes" :key="n">
                <p v-if="note.text">{{ note.text }}</p>
                <ck-points v-if="note.points.length" :items="note.points"></ck-points>
              </template>
            </div>
            <div v-if="card.links.length" class="ck-links">
              <a v-for="(link, k) in card.links" :key="k" :href="link.href" target="_blank"
                 rel="noopener noreferrer" @click.stop>{{ link.label }}</a>
            </div>
          </template>
        </div>
      </template>
      <div class="ck-sr-only ck-announce" role="status" aria-live="polite" aria-atomic="true">{{ announce }}</div>
    </article>`,
};
